-- CreateEnum
CREATE TYPE "FreezeScope" AS ENUM ('all', 'environment', 'service');

-- CreateTable
CREATE TABLE "freezes" (
    "id" UUID NOT NULL,
    "scope" "FreezeScope" NOT NULL,
    "environment_id" UUID,
    "service_id" UUID,
    "reason" TEXT NOT NULL,
    "starts_at" TIMESTAMPTZ(3),
    "ends_at" TIMESTAMPTZ(3),
    "cron" TEXT,
    "duration_minutes" INTEGER,
    "timezone" TEXT,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "freezes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "freezes_scope_idx" ON "freezes"("scope");

-- AddForeignKey
ALTER TABLE "freezes" ADD CONSTRAINT "freezes_environment_id_fkey" FOREIGN KEY ("environment_id") REFERENCES "environments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "freezes" ADD CONSTRAINT "freezes_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------------------------
-- Hand-written (listed in the allowlist of the drift test): a freeze names exactly the target its
-- scope needs, and is either a one-off window or a recurring one, never a mix.
ALTER TABLE "freezes" ADD CONSTRAINT "freezes_scope_target" CHECK (
  ("scope" = 'all' AND "environment_id" IS NULL AND "service_id" IS NULL)
  OR ("scope" = 'environment' AND "environment_id" IS NOT NULL AND "service_id" IS NULL)
  OR ("scope" = 'service' AND "service_id" IS NOT NULL AND "environment_id" IS NULL)
);
ALTER TABLE "freezes" ADD CONSTRAINT "freezes_window" CHECK (
  ("starts_at" IS NOT NULL AND "ends_at" IS NOT NULL AND "ends_at" > "starts_at"
    AND "cron" IS NULL AND "duration_minutes" IS NULL AND "timezone" IS NULL)
  OR ("starts_at" IS NULL AND "ends_at" IS NULL
    AND "cron" IS NOT NULL AND "duration_minutes" > 0 AND "timezone" IS NOT NULL)
);
