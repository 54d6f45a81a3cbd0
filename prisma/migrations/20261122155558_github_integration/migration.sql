-- CreateEnum
CREATE TYPE "GitHubDeliveryState" AS ENUM ('pending', 'done', 'ignored', 'failed');

-- AlterTable
ALTER TABLE "services" ADD COLUMN     "github_polling" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "github_release_rules" JSONB NOT NULL DEFAULT '{}';

-- CreateTable
CREATE TABLE "github_deliveries" (
    "id" UUID NOT NULL,
    "delivery_id" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "action" TEXT,
    "repo_full_name" TEXT,
    "payload" JSONB NOT NULL,
    "state" "GitHubDeliveryState" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lease_owner" TEXT,
    "lease_until" TIMESTAMPTZ(3),
    "outcome" TEXT,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMPTZ(3),

    CONSTRAINT "github_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "github_poll_cursors" (
    "id" UUID NOT NULL,
    "service_id" UUID NOT NULL,
    "resource" TEXT NOT NULL,
    "etag" TEXT,
    "last_seen" TEXT,
    "checked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "github_poll_cursors_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "github_deliveries_delivery_id_key" ON "github_deliveries"("delivery_id");

-- CreateIndex
CREATE INDEX "github_deliveries_state_next_attempt_at_idx" ON "github_deliveries"("state", "next_attempt_at");

-- CreateIndex
CREATE INDEX "github_deliveries_received_at_idx" ON "github_deliveries"("received_at");

-- CreateIndex
CREATE UNIQUE INDEX "github_poll_cursors_service_id_resource_key" ON "github_poll_cursors"("service_id", "resource");

-- AddForeignKey
ALTER TABLE "github_poll_cursors" ADD CONSTRAINT "github_poll_cursors_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE CASCADE;
