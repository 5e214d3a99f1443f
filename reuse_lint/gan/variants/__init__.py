"""One TF1 script a variant, each the minimal edit of `shared.py` that one rule is about."""
