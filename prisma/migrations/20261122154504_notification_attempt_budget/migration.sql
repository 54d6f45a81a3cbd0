-- AlterTable
ALTER TABLE "notification_deliveries" ADD COLUMN     "max_attempts" INTEGER NOT NULL DEFAULT 10;
