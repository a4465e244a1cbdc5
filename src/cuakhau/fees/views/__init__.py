"""The fees pages, one module a subject: tariffs (with the public calculator and the confirmation of
illustrative rules), assessments (with the section's front page), counter (the cashier's counter and
shift close), receipts (with the public lookup), payments (bank statements, unmatched lines, collection
accounts), credit (payers' debt limits), revenue; base holds what they share. Thin: services and
selectors do the work; urls.py names each page by its module."""
