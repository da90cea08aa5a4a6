"""Pure domain: state machines and rules. Imports only the standard library."""
