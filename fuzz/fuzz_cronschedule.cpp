// SPDX-License-Identifier: GPL-3.0-or-later
// Cron patterns of the alarms feed and, for input starting with '{', a whole alarms feed
// configuration (cron, timezone, dates, intervals, once): parsed, then the next fire times
// computed, as the provider and the designer's preview do.
#include "alarmschedule.h"
#include "cronschedule.h"

#include <QJsonDocument>

#include <cstddef>
#include <cstdint>

using namespace Feedscope;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    // A fixed "now" (2024-03-30, the eve of a DST switch in Europe) keeps runs reproducible.
    const qint64 nowMs = 1711800000000;
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(nowMs, Qt::UTC);
    if (input.startsWith('{')) {
        const QJsonObject parameters = QJsonDocument::fromJson(input).object();
        QString error;
        if (const auto config = AlarmSchedule::configure(parameters, nowMs, &error)) {
            const AlarmSchedule schedule(*config);
            schedule.nextFires(nowMs, 3);
        }
        return 0;
    }
    QString error;
    if (const auto cron = CronSchedule::parse(QString::fromUtf8(input), &error)) {
        cron->next(now, QTimeZone::utc());
        cron->next(now, QTimeZone("Europe/Berlin"));
    }
    return 0;
}
