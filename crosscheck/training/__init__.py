"""Training entry points (need torch and transformers; imported only on demand)."""
