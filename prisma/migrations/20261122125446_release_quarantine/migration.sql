-- AlterTable
ALTER TABLE "releases" ADD COLUMN     "quarantine_reason" TEXT,
ADD COLUMN     "quarantined_at" TIMESTAMPTZ(3),
ADD COLUMN     "quarantined_by" TEXT;
