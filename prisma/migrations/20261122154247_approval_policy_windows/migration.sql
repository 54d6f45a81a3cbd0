-- AlterTable
ALTER TABLE "approval_policies" ADD COLUMN     "windows" JSONB NOT NULL DEFAULT '[]';
