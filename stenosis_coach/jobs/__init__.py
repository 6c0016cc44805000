"""Background jobs: the one job runner (Django's task framework, the queue in our database)
and the jobs that run on it. Enqueue with the helpers here, never send from a request."""
