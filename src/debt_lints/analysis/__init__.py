"""What rules ask about code: file context, literals, patterns, scopes, graphs."""
