"""Scripts run from the project folder as modules: `.venv/bin/python -m scripts.<name>`."""
