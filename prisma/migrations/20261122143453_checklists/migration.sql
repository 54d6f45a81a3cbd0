-- AlterTable
ALTER TABLE "stages" ADD COLUMN     "checklist" JSONB;

-- AlterTable
ALTER TABLE "deployments" ADD COLUMN     "checklist" JSONB;
