"""Who read what that matters (evidence, documents, officials' phone numbers), and the staff's second factor."""
