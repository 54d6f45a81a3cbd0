-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "TierKind" AS ENUM ('development', 'staging', 'production');

-- CreateEnum
CREATE TYPE "DriverKind" AS ENUM ('sandbox', 'record', 'webhook', 'argocd', 'github_actions');

-- CreateEnum
CREATE TYPE "ReleaseSource" AS ENUM ('webhook', 'poll', 'api', 'cli', 'seed');

-- CreateEnum
CREATE TYPE "DeploymentKind" AS ENUM ('promote', 'rollback', 'redeploy', 'record');

-- CreateEnum
CREATE TYPE "DeploymentStatus" AS ENUM ('pending', 'queued', 'running', 'verifying', 'succeeded', 'failed', 'cancelled', 'timed_out', 'rejected', 'superseded', 'expired');

-- CreateEnum
CREATE TYPE "HealthStatus" AS ENUM ('healthy', 'progressing', 'degraded', 'suspended', 'missing', 'unknown');

-- CreateTable
CREATE TABLE "services" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "team" TEXT,
    "repo_owner" TEXT,
    "repo_name" TEXT,
    "default_branch" TEXT NOT NULL DEFAULT 'main',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "services_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "environments" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "tier" "TierKind" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "environments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stages" (
    "id" UUID NOT NULL,
    "service_id" UUID NOT NULL,
    "environment_id" UUID NOT NULL,
    "driver_kind" "DriverKind" NOT NULL,
    "driver_config" JSONB NOT NULL DEFAULT '{}',
    "soak_seconds" INTEGER NOT NULL DEFAULT 0,
    "deadline_seconds" INTEGER NOT NULL DEFAULT 1800,
    "auto_promote" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "stages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stage_upstreams" (
    "stage_id" UUID NOT NULL,
    "upstream_stage_id" UUID NOT NULL,

    CONSTRAINT "stage_upstreams_pkey" PRIMARY KEY ("stage_id","upstream_stage_id")
);

-- CreateTable
CREATE TABLE "releases" (
    "id" UUID NOT NULL,
    "service_id" UUID NOT NULL,
    "version" TEXT NOT NULL,
    "commit_sha" TEXT NOT NULL,
    "artifact_ref" TEXT,
    "notes" TEXT NOT NULL DEFAULT '',
    "source" "ReleaseSource" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "releases_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deployments" (
    "id" UUID NOT NULL,
    "stage_id" UUID NOT NULL,
    "release_id" UUID NOT NULL,
    "kind" "DeploymentKind" NOT NULL,
    "status" "DeploymentStatus" NOT NULL,
    "requested_by" TEXT NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "idempotency_key" TEXT,
    "driver_external_id" TEXT,
    "driver_url" TEXT,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "queued_at" TIMESTAMPTZ(3),
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "deployments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deployment_events" (
    "id" BIGSERIAL NOT NULL,
    "deployment_id" UUID NOT NULL,
    "from_status" "DeploymentStatus",
    "to_status" "DeploymentStatus" NOT NULL,
    "message" TEXT NOT NULL DEFAULT '',
    "actor" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deployment_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stage_states" (
    "stage_id" UUID NOT NULL,
    "current_release_id" UUID,
    "current_since" TIMESTAMPTZ(3),
    "previous_release_id" UUID,
    "last_deployment_id" UUID,
    "health" "HealthStatus" NOT NULL DEFAULT 'unknown',
    "health_message" TEXT NOT NULL DEFAULT '',
    "health_checked_at" TIMESTAMPTZ(3),
    "locked_by" TEXT,
    "lock_reason" TEXT,
    "locked_at" TIMESTAMPTZ(3),
    "hold_release_id" UUID,
    "hold_reason" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "stage_states_pkey" PRIMARY KEY ("stage_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "services_slug_key" ON "services"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "environments_slug_key" ON "environments"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "environments_position_key" ON "environments"("position");

-- CreateIndex
CREATE INDEX "stages_environment_id_idx" ON "stages"("environment_id");

-- CreateIndex
CREATE UNIQUE INDEX "stages_service_id_environment_id_key" ON "stages"("service_id", "environment_id");

-- CreateIndex
CREATE INDEX "stage_upstreams_upstream_stage_id_idx" ON "stage_upstreams"("upstream_stage_id");

-- CreateIndex
CREATE INDEX "releases_service_id_created_at_idx" ON "releases"("service_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "releases_service_id_version_key" ON "releases"("service_id", "version");

-- CreateIndex
CREATE INDEX "deployments_stage_id_created_at_idx" ON "deployments"("stage_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "deployments_release_id_idx" ON "deployments"("release_id");

-- CreateIndex
CREATE INDEX "deployments_status_idx" ON "deployments"("status");

-- CreateIndex
CREATE UNIQUE INDEX "deployments_idempotency_key_key" ON "deployments"("idempotency_key");

-- CreateIndex
CREATE INDEX "deployment_events_deployment_id_id_idx" ON "deployment_events"("deployment_id", "id");

-- AddForeignKey
ALTER TABLE "stages" ADD CONSTRAINT "stages_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stages" ADD CONSTRAINT "stages_environment_id_fkey" FOREIGN KEY ("environment_id") REFERENCES "environments"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stage_upstreams" ADD CONSTRAINT "stage_upstreams_stage_id_fkey" FOREIGN KEY ("stage_id") REFERENCES "stages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stage_upstreams" ADD CONSTRAINT "stage_upstreams_upstream_stage_id_fkey" FOREIGN KEY ("upstream_stage_id") REFERENCES "stages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "releases" ADD CONSTRAINT "releases_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_stage_id_fkey" FOREIGN KEY ("stage_id") REFERENCES "stages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_release_id_fkey" FOREIGN KEY ("release_id") REFERENCES "releases"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment_events" ADD CONSTRAINT "deployment_events_deployment_id_fkey" FOREIGN KEY ("deployment_id") REFERENCES "deployments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stage_states" ADD CONSTRAINT "stage_states_stage_id_fkey" FOREIGN KEY ("stage_id") REFERENCES "stages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stage_states" ADD CONSTRAINT "stage_states_current_release_id_fkey" FOREIGN KEY ("current_release_id") REFERENCES "releases"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stage_states" ADD CONSTRAINT "stage_states_previous_release_id_fkey" FOREIGN KEY ("previous_release_id") REFERENCES "releases"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stage_states" ADD CONSTRAINT "stage_states_hold_release_id_fkey" FOREIGN KEY ("hold_release_id") REFERENCES "releases"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stage_states" ADD CONSTRAINT "stage_states_last_deployment_id_fkey" FOREIGN KEY ("last_deployment_id") REFERENCES "deployments"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------
-- Hand-written below this line: constraints Prisma's schema language cannot express.
-- Every object created here is listed in HAND_WRITTEN_OBJECTS in apps/api/test/database/drift.test.ts.
-- ---------------------------------------------------------------------------

-- At most one active (queued, running, verifying) deployment per stage: a second promote is refused by the
-- database itself, whatever races the application loses.
CREATE UNIQUE INDEX "deployments_one_active_per_stage" ON "deployments" ("stage_id") WHERE "status" IN ('queued', 'running', 'verifying');
