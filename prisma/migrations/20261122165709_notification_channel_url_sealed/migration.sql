-- AlterTable
ALTER TABLE "notification_channels" ADD COLUMN     "url_hint" TEXT,
ADD COLUMN     "url_sealed" TEXT,
ALTER COLUMN "url" DROP NOT NULL;
