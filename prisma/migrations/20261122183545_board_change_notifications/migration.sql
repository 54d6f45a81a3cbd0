-- Hand-written (no schema change): every write to what the board shows sends NOTIFY flightdeck_board,
-- which each replica's board cache LISTENs to (docs/adr/0007-board-read-model-cache.md). Postgres delivers
-- a NOTIFY only after its transaction commits, so no replica caches a pre-commit board under a
-- post-commit generation; duplicate notifications of one transaction are folded into one. Row triggers
-- with WHEN fire only when a column the board shows really changed (the runner's lease and health-check
-- timestamps do not), and no counter row is written, so writers do not queue on one row.
CREATE FUNCTION "board_notify_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('flightdeck_board', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;

CREATE TRIGGER "services_board_insert_delete" AFTER INSERT OR DELETE ON "services"
  FOR EACH ROW EXECUTE FUNCTION "board_notify_change"();
CREATE TRIGGER "services_board_update" AFTER UPDATE ON "services"
  FOR EACH ROW WHEN ((OLD."slug", OLD."name", OLD."team_id") IS DISTINCT FROM (NEW."slug", NEW."name", NEW."team_id"))
  EXECUTE FUNCTION "board_notify_change"();

CREATE TRIGGER "teams_board_insert_delete" AFTER INSERT OR DELETE ON "teams"
  FOR EACH ROW EXECUTE FUNCTION "board_notify_change"();
CREATE TRIGGER "teams_board_update" AFTER UPDATE ON "teams"
  FOR EACH ROW WHEN (OLD."slug" IS DISTINCT FROM NEW."slug")
  EXECUTE FUNCTION "board_notify_change"();

CREATE TRIGGER "environments_board_insert_delete" AFTER INSERT OR DELETE ON "environments"
  FOR EACH ROW EXECUTE FUNCTION "board_notify_change"();
CREATE TRIGGER "environments_board_update" AFTER UPDATE ON "environments"
  FOR EACH ROW WHEN ((OLD."slug", OLD."name", OLD."position", OLD."tier") IS DISTINCT FROM (NEW."slug", NEW."name", NEW."position", NEW."tier"))
  EXECUTE FUNCTION "board_notify_change"();

CREATE TRIGGER "stages_board_insert_delete" AFTER INSERT OR DELETE ON "stages"
  FOR EACH ROW EXECUTE FUNCTION "board_notify_change"();
CREATE TRIGGER "stages_board_update" AFTER UPDATE ON "stages"
  FOR EACH ROW WHEN ((OLD."service_id", OLD."environment_id", OLD."driver_kind") IS DISTINCT FROM (NEW."service_id", NEW."environment_id", NEW."driver_kind"))
  EXECUTE FUNCTION "board_notify_change"();

CREATE TRIGGER "stage_upstreams_board_change" AFTER INSERT OR UPDATE OR DELETE ON "stage_upstreams"
  FOR EACH ROW EXECUTE FUNCTION "board_notify_change"();

CREATE TRIGGER "stage_states_board_insert_delete" AFTER INSERT OR DELETE ON "stage_states"
  FOR EACH ROW EXECUTE FUNCTION "board_notify_change"();
CREATE TRIGGER "stage_states_board_update" AFTER UPDATE ON "stage_states"
  FOR EACH ROW WHEN ((OLD."current_release_id", OLD."current_since", OLD."last_deployment_id", OLD."health",
                      OLD."health_message", OLD."locked_by", OLD."lock_reason", OLD."locked_at",
                      OLD."hold_release_id", OLD."hold_reason")
                     IS DISTINCT FROM
                     (NEW."current_release_id", NEW."current_since", NEW."last_deployment_id", NEW."health",
                      NEW."health_message", NEW."locked_by", NEW."lock_reason", NEW."locked_at",
                      NEW."hold_release_id", NEW."hold_reason"))
  EXECUTE FUNCTION "board_notify_change"();

-- A new deployment or release shows only once a stage_states row points at it (that row's trigger fires);
-- a deleted one that is shown sets that row's reference to NULL (which fires it too).
CREATE TRIGGER "deployments_board_update" AFTER UPDATE ON "deployments"
  FOR EACH ROW WHEN ((OLD."status", OLD."kind", OLD."break_glass", OLD."created_at", OLD."finished_at", OLD."release_id")
                     IS DISTINCT FROM
                     (NEW."status", NEW."kind", NEW."break_glass", NEW."created_at", NEW."finished_at", NEW."release_id"))
  EXECUTE FUNCTION "board_notify_change"();
CREATE TRIGGER "releases_board_update" AFTER UPDATE ON "releases"
  FOR EACH ROW WHEN ((OLD."version", OLD."commit_sha", OLD."created_at") IS DISTINCT FROM (NEW."version", NEW."commit_sha", NEW."created_at"))
  EXECUTE FUNCTION "board_notify_change"();

CREATE TRIGGER "freezes_board_change" AFTER INSERT OR UPDATE OR DELETE ON "freezes"
  FOR EACH ROW EXECUTE FUNCTION "board_notify_change"();

-- TRUNCATE has only statement triggers.
CREATE TRIGGER "services_board_truncate" AFTER TRUNCATE ON "services"
  FOR EACH STATEMENT EXECUTE FUNCTION "board_notify_change"();
CREATE TRIGGER "teams_board_truncate" AFTER TRUNCATE ON "teams"
  FOR EACH STATEMENT EXECUTE FUNCTION "board_notify_change"();
CREATE TRIGGER "environments_board_truncate" AFTER TRUNCATE ON "environments"
  FOR EACH STATEMENT EXECUTE FUNCTION "board_notify_change"();
CREATE TRIGGER "stages_board_truncate" AFTER TRUNCATE ON "stages"
  FOR EACH STATEMENT EXECUTE FUNCTION "board_notify_change"();
CREATE TRIGGER "stage_upstreams_board_truncate" AFTER TRUNCATE ON "stage_upstreams"
  FOR EACH STATEMENT EXECUTE FUNCTION "board_notify_change"();
CREATE TRIGGER "stage_states_board_truncate" AFTER TRUNCATE ON "stage_states"
  FOR EACH STATEMENT EXECUTE FUNCTION "board_notify_change"();
CREATE TRIGGER "deployments_board_truncate" AFTER TRUNCATE ON "deployments"
  FOR EACH STATEMENT EXECUTE FUNCTION "board_notify_change"();
CREATE TRIGGER "releases_board_truncate" AFTER TRUNCATE ON "releases"
  FOR EACH STATEMENT EXECUTE FUNCTION "board_notify_change"();
CREATE TRIGGER "freezes_board_truncate" AFTER TRUNCATE ON "freezes"
  FOR EACH STATEMENT EXECUTE FUNCTION "board_notify_change"();
