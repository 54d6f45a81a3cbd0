-- CreateEnum
CREATE TYPE "GitHubMirrorState" AS ENUM ('pending', 'synced', 'failed');

-- CreateTable
CREATE TABLE "github_deployment_mirrors" (
    "deployment_id" UUID NOT NULL,
    "owner" TEXT NOT NULL,
    "repo" TEXT NOT NULL,
    "request" JSONB NOT NULL,
    "github_deployment_id" BIGINT,
    "state" "GitHubMirrorState" NOT NULL DEFAULT 'pending',
    "create_attempted_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lease_owner" TEXT,
    "lease_until" TIMESTAMPTZ(3),
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "github_deployment_mirrors_pkey" PRIMARY KEY ("deployment_id")
);

-- CreateTable
CREATE TABLE "github_deployment_mirror_statuses" (
    "id" BIGSERIAL NOT NULL,
    "deployment_id" UUID NOT NULL,
    "state" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "attempted_at" TIMESTAMPTZ(3),
    "sent_at" TIMESTAMPTZ(3),
    "github_status_id" BIGINT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "github_deployment_mirror_statuses_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "github_deployment_mirrors_state_next_attempt_at_idx" ON "github_deployment_mirrors"("state", "next_attempt_at");

-- CreateIndex
CREATE INDEX "github_deployment_mirror_statuses_deployment_id_id_idx" ON "github_deployment_mirror_statuses"("deployment_id", "id");

-- AddForeignKey
ALTER TABLE "github_deployment_mirrors" ADD CONSTRAINT "github_deployment_mirrors_deployment_id_fkey" FOREIGN KEY ("deployment_id") REFERENCES "deployments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "github_deployment_mirror_statuses" ADD CONSTRAINT "github_deployment_mirror_statuses_deployment_id_fkey" FOREIGN KEY ("deployment_id") REFERENCES "github_deployment_mirrors"("deployment_id") ON DELETE CASCADE ON UPDATE CASCADE;
