-- AlterTable
ALTER TABLE "stages" ADD COLUMN     "required_checks" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "github_commit_checks" (
    "id" UUID NOT NULL,
    "repo_full_name" TEXT NOT NULL,
    "sha" TEXT NOT NULL,
    "checks" JSONB NOT NULL,
    "final" BOOLEAN NOT NULL DEFAULT false,
    "fetched_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "github_commit_checks_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "github_commit_checks_fetched_at_idx" ON "github_commit_checks"("fetched_at");

-- CreateIndex
CREATE UNIQUE INDEX "github_commit_checks_repo_full_name_sha_key" ON "github_commit_checks"("repo_full_name", "sha");
