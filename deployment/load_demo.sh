#!/usr/bin/env bash
# Loads the demo content into the portal (idempotent): organisations and the action plan's
# datasets, sample values flagged as sample data. Grows with the data-model issue.
. "$(dirname "$0")/lib.sh"
say "demo content: nothing to load yet"
