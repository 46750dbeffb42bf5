"""The public register: what the public may see of each entry, its pages, its open data and their URLs."""
