"""Load: the workspace's files read into typed models, every problem collected."""
