"""Reading and validating content/ into the domain's catalogue, per language."""
