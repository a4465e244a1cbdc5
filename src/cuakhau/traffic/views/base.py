"""What the traffic pages share: the page size of lists. A service's refusal goes on a form with
`core.errors.form_add_errors`, or is flashed with `core.views.forms.flash_errors`."""

PAGE_SIZE = 200
