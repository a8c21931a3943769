"""The daily question: when each guild's post is due, and which question it asks."""
