"""One reader module per source family; each turns raw official files into a tidy table."""
