-- AlterTable
ALTER TABLE "stages" ADD COLUMN     "auto_rollback" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "verification" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "deployments" ADD COLUMN     "verification" JSONB;
