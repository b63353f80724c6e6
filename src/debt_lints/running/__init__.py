"""Walking the tree, parallel workers, the result cache, git changes."""
