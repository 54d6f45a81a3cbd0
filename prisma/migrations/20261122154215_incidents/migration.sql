-- CreateEnum
CREATE TYPE "IncidentStatus" AS ENUM ('investigating', 'identified', 'monitoring', 'resolved');

-- CreateEnum
CREATE TYPE "IncidentActionItemState" AS ENUM ('open', 'done');

-- CreateEnum
CREATE TYPE "IncidentDeploymentRelation" AS ENUM ('suspect', 'cause', 'remediation');

-- CreateTable
CREATE TABLE "incident_severities" (
    "key" TEXT NOT NULL,
    "rank" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "expected_response_minutes" INTEGER NOT NULL,
    "freezes_production" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "incident_severities_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "incidents" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL DEFAULT '',
    "severity_key" TEXT NOT NULL,
    "status" "IncidentStatus" NOT NULL DEFAULT 'investigating',
    "commander_id" UUID,
    "declared_by" TEXT NOT NULL,
    "declared_by_id" UUID,
    "detected_at" TIMESTAMPTZ(3) NOT NULL,
    "acknowledged_at" TIMESTAMPTZ(3),
    "identified_at" TIMESTAMPTZ(3),
    "monitoring_at" TIMESTAMPTZ(3),
    "resolved_at" TIMESTAMPTZ(3),
    "impact" TEXT NOT NULL DEFAULT '',
    "root_cause" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "incidents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "incident_stages" (
    "incident_id" UUID NOT NULL,
    "stage_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "incident_stages_pkey" PRIMARY KEY ("incident_id","stage_id")
);

-- CreateTable
CREATE TABLE "incident_notes" (
    "id" UUID NOT NULL,
    "incident_id" UUID NOT NULL,
    "author_id" UUID,
    "author" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "incident_notes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "incident_action_items" (
    "id" UUID NOT NULL,
    "incident_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "owner_id" UUID,
    "state" "IncidentActionItemState" NOT NULL DEFAULT 'open',
    "created_by" TEXT NOT NULL,
    "completed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "incident_action_items_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "incident_deployments" (
    "incident_id" UUID NOT NULL,
    "deployment_id" UUID NOT NULL,
    "relation" "IncidentDeploymentRelation" NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "incident_deployments_pkey" PRIMARY KEY ("incident_id","deployment_id","relation")
);

-- CreateIndex
CREATE UNIQUE INDEX "incident_severities_rank_key" ON "incident_severities"("rank");

-- CreateIndex
CREATE UNIQUE INDEX "incidents_number_key" ON "incidents"("number");

-- CreateIndex
CREATE INDEX "incidents_status_idx" ON "incidents"("status");

-- CreateIndex
CREATE INDEX "incidents_detected_at_idx" ON "incidents"("detected_at" DESC);

-- CreateIndex
CREATE INDEX "incidents_severity_key_idx" ON "incidents"("severity_key");

-- CreateIndex
CREATE INDEX "incident_stages_stage_id_idx" ON "incident_stages"("stage_id");

-- CreateIndex
CREATE INDEX "incident_notes_incident_id_created_at_idx" ON "incident_notes"("incident_id", "created_at");

-- CreateIndex
CREATE INDEX "incident_action_items_incident_id_idx" ON "incident_action_items"("incident_id");

-- CreateIndex
CREATE INDEX "incident_action_items_owner_id_idx" ON "incident_action_items"("owner_id");

-- CreateIndex
CREATE INDEX "incident_deployments_deployment_id_idx" ON "incident_deployments"("deployment_id");

-- AddForeignKey
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_severity_key_fkey" FOREIGN KEY ("severity_key") REFERENCES "incident_severities"("key") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_commander_id_fkey" FOREIGN KEY ("commander_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_declared_by_id_fkey" FOREIGN KEY ("declared_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incident_stages" ADD CONSTRAINT "incident_stages_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incident_stages" ADD CONSTRAINT "incident_stages_stage_id_fkey" FOREIGN KEY ("stage_id") REFERENCES "stages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incident_notes" ADD CONSTRAINT "incident_notes_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incident_notes" ADD CONSTRAINT "incident_notes_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incident_action_items" ADD CONSTRAINT "incident_action_items_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incident_action_items" ADD CONSTRAINT "incident_action_items_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incident_deployments" ADD CONSTRAINT "incident_deployments_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incident_deployments" ADD CONSTRAINT "incident_deployments_deployment_id_fkey" FOREIGN KEY ("deployment_id") REFERENCES "deployments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: sane severity numbers, and the default severity scheme (P0–P3; P0 and P1 freeze production).
ALTER TABLE "incident_severities" ADD CONSTRAINT "incident_severities_numbers"
  CHECK ("rank" >= 0 AND "expected_response_minutes" > 0);

INSERT INTO "incident_severities" ("key", "rank", "name", "description", "expected_response_minutes", "freezes_production", "updated_at") VALUES
  ('P0', 0, 'Critical', 'Full outage or data loss for many customers.', 5, true, CURRENT_TIMESTAMP),
  ('P1', 1, 'High', 'A major feature is down or badly degraded.', 15, true, CURRENT_TIMESTAMP),
  ('P2', 2, 'Medium', 'Partial degradation with a workaround.', 60, false, CURRENT_TIMESTAMP),
  ('P3', 3, 'Low', 'Minor issue, little customer impact.', 240, false, CURRENT_TIMESTAMP);
