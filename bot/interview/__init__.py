"""Mock interviews: question choice, the engine that runs them, and their summaries."""
