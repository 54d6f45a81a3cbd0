-- CreateTable
CREATE TABLE "deployment_windows" (
    "id" UUID NOT NULL,
    "environment_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "cron" TEXT NOT NULL,
    "duration_minutes" INTEGER NOT NULL,
    "timezone" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deployment_windows_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "deployment_windows_environment_id_idx" ON "deployment_windows"("environment_id");

-- AddForeignKey
ALTER TABLE "deployment_windows" ADD CONSTRAINT "deployment_windows_environment_id_fkey" FOREIGN KEY ("environment_id") REFERENCES "environments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------------------------
-- Hand-written (listed in the allowlist of the drift test): a window stays open for a positive time.
ALTER TABLE "deployment_windows" ADD CONSTRAINT "deployment_windows_duration" CHECK ("duration_minutes" > 0 AND "duration_minutes" <= 10080);
