-- AlterTable
ALTER TABLE "notification_events" ADD COLUMN     "seq" BIGSERIAL NOT NULL;
