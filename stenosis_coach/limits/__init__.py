"""Rate limits kept in the database, so every process and app server shares them."""
