-- AlterTable
ALTER TABLE "approval_policies" ADD COLUMN     "approve_rollbacks" BOOLEAN NOT NULL DEFAULT false;
