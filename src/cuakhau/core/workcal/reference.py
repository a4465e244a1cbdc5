def load_holidays() -> str:
    return "not loaded yet"
