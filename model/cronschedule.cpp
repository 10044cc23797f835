// SPDX-License-Identifier: GPL-3.0-or-later
#include "cronschedule.h"

#include <QStringList>

namespace Feedscope {

namespace {

const QStringList monthNames{QStringLiteral("jan"),
                             QStringLiteral("feb"),
                             QStringLiteral("mar"),
                             QStringLiteral("apr"),
                             QStringLiteral("may"),
                             QStringLiteral("jun"),
                             QStringLiteral("jul"),
                             QStringLiteral("aug"),
                             QStringLiteral("sep"),
                             QStringLiteral("oct"),
                             QStringLiteral("nov"),
                             QStringLiteral("dec")};
const QStringList dayNames{QStringLiteral("sun"),
                           QStringLiteral("mon"),
                           QStringLiteral("tue"),
                           QStringLiteral("wed"),
                           QStringLiteral("thu"),
                           QStringLiteral("fri"),
                           QStringLiteral("sat")};

std::optional<int> value(const QString &text, const QStringList &names, int nameBase)
{
    bool ok = false;
    const int n = text.toInt(&ok);
    if (ok)
        return n;
    const qsizetype index = names.indexOf(text.toLower());
    if (index >= 0)
        return int(index) + nameBase;
    return std::nullopt;
}

// Sets the bits of one field; `min`/`max` bound the values, `names` map words to numbers.
template<size_t N>
bool parseField(const QString &field,
                int min,
                int max,
                const QStringList &names,
                int nameBase,
                std::bitset<N> &bits,
                bool *restricted)
{
    *restricted = !(field == u"*" || field == u"?");
    for (const QString &part : field.split(u',')) {
        QString range = part;
        int step = 1;
        const qsizetype slash = part.indexOf(u'/');
        if (slash >= 0) {
            bool ok = false;
            step = part.mid(slash + 1).toInt(&ok);
            if (!ok || step <= 0)
                return false;
            range = part.left(slash);
        }
        int from = min;
        int to = max;
        if (range != u"*" && range != u"?") {
            const qsizetype dash = range.indexOf(u'-');
            const auto a = value(dash < 0 ? range : range.left(dash), names, nameBase);
            if (!a)
                return false;
            from = *a;
            to = slash >= 0 && dash < 0 ? max : *a;
            if (dash >= 0) {
                const auto b = value(range.mid(dash + 1), names, nameBase);
                if (!b)
                    return false;
                to = *b;
            }
        }
        if (from < min || to > max || from > to)
            return false;
        // 64-bit: a step near INT_MAX (59/2147483647) overflowed an int counter, which is
        // undefined behaviour (found with fuzz/fuzz_cronschedule).
        for (qint64 v = from; v <= to; v += step)
            bits.set(size_t(v));
    }
    return true;
}

} // namespace

std::optional<CronSchedule> CronSchedule::parse(const QString &pattern, QString *error)
{
    const QStringList fields = pattern.simplified().split(u' ', Qt::SkipEmptyParts);
    CronSchedule s;
    s.m_pattern = pattern;
    if (fields.size() != 5 && fields.size() != 6) {
        if (error)
            *error = QStringLiteral("cron pattern '%1' is not valid").arg(pattern);
        return std::nullopt;
    }
    s.m_hasSeconds = fields.size() == 6;
    const qsizetype o = s.m_hasSeconds ? 1 : 0;
    bool restricted = false;
    bool ok = true;
    if (s.m_hasSeconds)
        ok = parseField(fields[0], 0, 59, {}, 0, s.m_seconds, &restricted);
    else
        s.m_seconds.set(0);
    ok = ok && parseField(fields[o], 0, 59, {}, 0, s.m_minutes, &restricted);
    ok = ok && parseField(fields[o + 1], 0, 23, {}, 0, s.m_hours, &restricted);
    ok = ok && parseField(fields[o + 2], 1, 31, {}, 0, s.m_days, &s.m_daysRestricted);
    ok = ok && parseField(fields[o + 3], 1, 12, monthNames, 1, s.m_months, &restricted);
    // Weekday 7 is Sunday too.
    std::bitset<8> weekdays;
    ok = ok && parseField(fields[o + 4], 0, 7, dayNames, 0, weekdays, &s.m_weekdaysRestricted);
    if (!ok) {
        if (error)
            *error = QStringLiteral("cron pattern '%1' is not valid").arg(pattern);
        return std::nullopt;
    }
    for (int d = 0; d < 7; ++d)
        s.m_weekdays[size_t(d)] = weekdays[size_t(d)] || (d == 0 && weekdays[7]);
    return s;
}

std::optional<QDateTime> CronSchedule::next(const QDateTime &after, const QTimeZone &zone) const
{
    // Fast path: walk in a fixed UTC offset (cheap QDateTime arithmetic) and fall back to the
    // zone only if its offset changed (a DST switch) by the result. Measured: a full zone walk
    // made 1,000 due alarms per second cost tens of milliseconds of lateness.
    const int offset = zone.offsetFromUtc(after);
    const auto fast = walk(after.toOffsetFromUtc(offset), [offset](QDate d, QTime t) {
        return QDateTime(d, t, Qt::OffsetFromUTC, offset);
    });
    if (!fast || zone.offsetFromUtc(*fast) == offset)
        return fast;
    return walk(after.toTimeZone(zone),
                [&zone](QDate d, QTime t) { return QDateTime(d, t, zone); });
}

template<typename MakeTime>
std::optional<QDateTime> CronSchedule::walk(QDateTime t, MakeTime makeTime) const
{
    // Walk forward in wall-clock time, skipping whole days / hours / minutes that cannot
    // match; at most five years ahead.
    t = t.addMSecs(1000 - t.time().msec()); // the next whole second
    const QDateTime limit = t.addYears(5);
    while (t < limit) {
        const QDate date = t.date();
        const bool dayOk
            = m_daysRestricted && m_weekdaysRestricted
                  ? (m_days[size_t(date.day())] || m_weekdays[size_t(date.dayOfWeek() % 7)])
                  : (m_days[size_t(date.day())] && m_weekdays[size_t(date.dayOfWeek() % 7)]);
        if (!m_months[size_t(date.month())] || !dayOk) {
            t = makeTime(date.addDays(1), QTime(0, 0));
            continue;
        }
        const QTime time = t.time();
        if (!m_hours[size_t(time.hour())]) {
            t = makeTime(date, QTime(time.hour(), 0)).addSecs(3600);
            continue;
        }
        if (!m_minutes[size_t(time.minute())]) {
            t = makeTime(date, QTime(time.hour(), time.minute())).addSecs(60);
            continue;
        }
        if (!m_seconds[size_t(time.second())]) {
            t = t.addSecs(1);
            continue;
        }
        return t;
    }
    return std::nullopt;
}

} // namespace Feedscope
