-- AlterTable
-- Edited by hand: added nullable, filled from the events, then made required, so existing rows migrate.
ALTER TABLE "notification_deliveries" ADD COLUMN     "event_seq" BIGINT;
UPDATE "notification_deliveries" d SET "event_seq" = e."seq" FROM "notification_events" e WHERE e."id" = d."event_id";
ALTER TABLE "notification_deliveries" ALTER COLUMN "event_seq" SET NOT NULL;

-- CreateIndex
CREATE INDEX "notification_deliveries_channel_id_state_event_seq_idx" ON "notification_deliveries"("channel_id", "state", "event_seq");
