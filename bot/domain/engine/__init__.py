"""The flow engine every feature runs on: tables (fsm), events in, replies out, detours."""
