-- CreateEnum
CREATE TYPE "ApprovalDecision" AS ENUM ('approve', 'reject');

-- AlterTable
ALTER TABLE "releases" ADD COLUMN     "author" TEXT;

-- CreateTable
CREATE TABLE "approval_policies" (
    "id" UUID NOT NULL,
    "environment_id" UUID,
    "stage_id" UUID,
    "required_approvals" INTEGER NOT NULL DEFAULT 0,
    "approver_roles" "Role"[],
    "approver_teams" TEXT[],
    "approver_users" TEXT[],
    "distinct_teams" BOOLEAN NOT NULL DEFAULT false,
    "self_approval_banned" BOOLEAN NOT NULL DEFAULT true,
    "reason_required_to_approve" BOOLEAN NOT NULL DEFAULT false,
    "expiry_minutes" INTEGER,
    "wait_minutes" INTEGER NOT NULL DEFAULT 0,
    "updated_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "approval_policies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approvals" (
    "id" UUID NOT NULL,
    "deployment_id" UUID NOT NULL,
    "release_id" UUID NOT NULL,
    "commit_sha" TEXT NOT NULL,
    "decision" "ApprovalDecision" NOT NULL,
    "user_id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "team_id" UUID,
    "comment" TEXT NOT NULL DEFAULT '',
    "via" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "approvals_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "approval_policies_environment_id_key" ON "approval_policies"("environment_id");

-- CreateIndex
CREATE UNIQUE INDEX "approval_policies_stage_id_key" ON "approval_policies"("stage_id");

-- CreateIndex
CREATE INDEX "approvals_release_id_idx" ON "approvals"("release_id");

-- CreateIndex
CREATE INDEX "approvals_user_id_idx" ON "approvals"("user_id");

-- CreateIndex
CREATE INDEX "approvals_team_id_idx" ON "approvals"("team_id");

-- CreateIndex
CREATE UNIQUE INDEX "approvals_deployment_id_user_id_key" ON "approvals"("deployment_id", "user_id");

-- AddForeignKey
ALTER TABLE "approval_policies" ADD CONSTRAINT "approval_policies_environment_id_fkey" FOREIGN KEY ("environment_id") REFERENCES "environments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approval_policies" ADD CONSTRAINT "approval_policies_stage_id_fkey" FOREIGN KEY ("stage_id") REFERENCES "stages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_deployment_id_fkey" FOREIGN KEY ("deployment_id") REFERENCES "deployments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_release_id_fkey" FOREIGN KEY ("release_id") REFERENCES "releases"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------------------------
-- Hand-written (listed in the allowlist of the drift test): a policy belongs to an environment or
-- to a stage, never both; its numbers stay in range.
ALTER TABLE "approval_policies" ADD CONSTRAINT "approval_policies_scope" CHECK (("environment_id" IS NULL) <> ("stage_id" IS NULL));
ALTER TABLE "approval_policies" ADD CONSTRAINT "approval_policies_numbers" CHECK ("required_approvals" >= 0 AND "required_approvals" <= 20 AND "wait_minutes" >= 0 AND "wait_minutes" <= 10080 AND ("expiry_minutes" IS NULL OR "expiry_minutes" > 0));
