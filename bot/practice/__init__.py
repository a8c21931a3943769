"""Terminal practice: the same interviews and coaching as on Discord, without Discord."""
