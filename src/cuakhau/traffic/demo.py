def load_demo(stdout=None) -> str:
    return "nothing yet"
