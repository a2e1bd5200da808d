"""Part II: a partnership, the series of meetings it runs and what they promised (SPEC §10).

Same shape as app/rooms: models and schemas, pure rules, the log (its transactions),
http (its routes and page). A meeting of a partnership is an ordinary room that knows
its partnership; the partnership's keys are that room's staff keys."""
