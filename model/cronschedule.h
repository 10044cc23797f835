// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QString>
#include <QTimeZone>

#include <bitset>
#include <optional>

namespace Feedscope {

// A cron pattern as the alarms package accepts it (PROTOCOL.md 4.4-4.5): five fields
// (minute hour day-of-month month day-of-week) or six with a leading seconds field. Fields take
// `*`, numbers, ranges `a-b`, steps `*/n` and `a-b/n`, lists, and month / weekday names. Like
// the node `cron` package, when both day fields are restricted a day matching either counts.
class CronSchedule
{
public:
    static std::optional<CronSchedule> parse(const QString &pattern, QString *error = nullptr);

    // The first occurrence strictly after `after`, evaluated in `zone`; nothing if none within
    // the next five years.
    std::optional<QDateTime> next(const QDateTime &after, const QTimeZone &zone) const;

    bool hasSecondsField() const { return m_hasSeconds; }
    QString pattern() const { return m_pattern; }

private:
    template<typename MakeTime>
    std::optional<QDateTime> walk(QDateTime start, MakeTime makeTime) const;

    QString m_pattern;
    bool m_hasSeconds = false;
    std::bitset<60> m_seconds;
    std::bitset<60> m_minutes;
    std::bitset<24> m_hours;
    std::bitset<32> m_days;    // 1..31
    std::bitset<13> m_months;  // 1..12
    std::bitset<7> m_weekdays; // 0 = Sunday
    bool m_daysRestricted = false;
    bool m_weekdaysRestricted = false;
};

} // namespace Feedscope
