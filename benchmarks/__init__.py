"""Scripts that print figures (never timed assertions in tests), and what they share: `harness` (timing, a
throwaway database) and `synthetic_contracts` (signed contracts in bulk, also used by the query-count tests)."""
