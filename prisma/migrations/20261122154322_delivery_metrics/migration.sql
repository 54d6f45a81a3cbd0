-- AlterTable
ALTER TABLE "releases" ADD COLUMN     "committed_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "deployments_stage_id_finished_at_idx" ON "deployments"("stage_id", "finished_at");
