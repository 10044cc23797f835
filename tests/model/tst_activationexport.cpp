// SPDX-License-Identifier: GPL-3.0-or-later
// The monitor's JSON Lines export (model/activationexport.h): the rows a filter shows, written one
// object per line and parsed back; payload excerpts as JSON when whole, as text when cut; the
// error for a path that cannot be written (the old file kept); cancel through the progress
// callback; the worker-thread job.
#include "activationexport.h"
#include "activationfiltermodel.h"
#include "activationtablemodel.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Feedscope;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 t0 = 1700000000123;

QString idFor(int i, char prefix = 'a')
{
    return QString(QLatin1Char(prefix)) + u"%1"_s.arg(i, 31, 10, QLatin1Char('0'));
}

QJsonObject kv(const QString &key, const QJsonValue &value)
{
    return QJsonObject{{u"key"_s, key}, {u"value"_s, value}};
}

ActivationRecord action(int i, int statusCode, const QJsonValue &result, bool cold = false)
{
    QJsonArray annotations{kv(u"path"_s, u"guest/handler"_s), kv(u"waitTime"_s, 3)};
    if (cold)
        annotations.append(kv(u"initTime"_s, 40));
    static const char *const statuses[] = {"success", "application error"};
    return ActivationRecord::fromJson(
        {{u"activationId"_s, idFor(i)}, {u"namespace"_s, u"guest"_s}, {u"name"_s, u"handler"_s},
         {u"start"_s, t0 + i}, {u"end"_s, t0 + i + 12}, {u"duration"_s, 12},
         {u"annotations"_s, annotations},
         {u"response"_s, QJsonObject{{u"status"_s, QString::fromLatin1(statuses[statusCode])},
                                     {u"success"_s, statusCode == 0}, {u"result"_s, result}}}});
}

// A trigger activation whose rule `r` ran action `actionIndex`.
ActivationRecord trigger(int i, int actionIndex)
{
    const QJsonObject line{{u"statusCode"_s, 0}, {u"success"_s, true},
                           {u"activationId"_s, idFor(actionIndex)}, {u"rule"_s, u"guest/r"_s},
                           {u"action"_s, u"guest/handler"_s}};
    return ActivationRecord::fromJson(
        {{u"activationId"_s, idFor(i, 'b')}, {u"namespace"_s, u"guest"_s}, {u"name"_s, u"orders"_s},
         {u"start"_s, t0}, {u"annotations"_s, QJsonArray{}},
         {u"logs"_s,
          QJsonArray{QString::fromUtf8(QJsonDocument(line).toJson(QJsonDocument::Compact))}},
         {u"response"_s, QJsonObject{{u"status"_s, u"success"_s}, {u"result"_s, QJsonObject{}}}}});
}

QList<QJsonObject> readLines(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<QJsonObject> lines;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine();
        if (!line.endsWith('\n'))
            return {}; // every line ends with a newline
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject())
            return {};
        lines.append(doc.object());
    }
    return lines;
}

} // namespace

class TestActivationExport : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void writesTheFilteredRowsAsJsonLines()
    {
        ActivationTableModel table;
        table.setNamespace(u"guest"_s);
        const QString longText = u"say \"hi\"\t\\ "_s + QString(300, u'y'); // escapes kept
        table.append({trigger(1, 2), action(2, 1, QJsonObject{{u"error"_s, u"bad"_s}}, true),
                      action(3, 0, QJsonObject{{u"text"_s, longText}}),
                      action(4, 0, QJsonArray{1, 2})});
        table.flush();
        QCOMPARE(table.rowCount(), 4);
        ActivationFilterModel filter(&table);
        ActivationRowFilter f;
        f.kinds = ActivationRowFilter::bit(ActivationKind::Action);
        filter.setFilter(f);
        QCOMPARE(filter.rowCount(), 3);

        const QString path = m_dir.filePath(u"actions.jsonl"_s);
        QList<qint64> progress;
        const ExportResult result = writeActivationsJsonLines(
            ActivationExportRows::of(filter), path, [&](qint64 written, qint64 total) {
                progress.append(written);
                return total == 3;
            });
        QVERIFY2(result.ok(), qPrintable(result.error));
        QCOMPARE(result.rows, 3);
        QCOMPARE(progress, QList<qint64>{3}); // the end is always reported
        const QList<QJsonObject> lines = readLines(path);
        QCOMPARE(lines.size(), 3);

        const QJsonObject failed = lines[0];
        QCOMPARE(failed[u"activationId"_s].toString(), idFor(2));
        QCOMPARE(failed[u"kind"_s].toString(), u"action"_s);
        QCOMPARE(failed[u"name"_s].toString(), u"handler"_s);
        QCOMPARE(failed[u"status"_s].toString(), u"application error"_s);
        QCOMPARE(failed[u"startMs"_s].toInteger(), t0 + 2);
        QCOMPARE(failed[u"start"_s].toString(), u"2023-11-14T22:13:20.125Z"_s);
        QCOMPARE(failed[u"durationMs"_s].toInt(), 12);
        QCOMPARE(failed[u"waitMs"_s].toInt(), 3);
        QCOMPARE(failed[u"initMs"_s].toInt(), 40);
        QCOMPARE(failed[u"cold"_s].toBool(), true);
        QCOMPARE(failed[u"trigger"_s].toString(), u"orders"_s);
        QCOMPARE(failed[u"rule"_s].toString(), u"r"_s);
        QCOMPARE(failed[u"synthetic"_s].toBool(), false);
        QCOMPARE(failed[u"payload"_s].toObject(), (QJsonObject{{u"error"_s, u"bad"_s}}));

        const QJsonObject cut = lines[1];
        QVERIFY(cut[u"initMs"_s].isNull());
        QCOMPARE(cut[u"cold"_s].toBool(), false);
        QVERIFY(cut[u"trigger"_s].isNull()); // no rule caused it
        QVERIFY(cut[u"payload"_s].isString()); // cut at ActivationRow::payloadLimit: text
        QCOMPARE(cut[u"payload"_s].toString().size(), ActivationRow::payloadLimit);
        QVERIFY(cut[u"payload"_s].toString().startsWith(u"{\"text\":\"say \\\"hi\\\"\\t\\\\ y"_s));
        QCOMPARE(lines[2][u"payload"_s].toArray(), (QJsonArray{1, 2}));

        // Rows of the table by number; a trigger's payload ({}) and its missing duration.
        const QString rowsPath = m_dir.filePath(u"rows.jsonl"_s);
        QVERIFY(writeActivationsJsonLines(ActivationExportRows::of(table, {0, 7}), rowsPath).ok());
        const QList<QJsonObject> rows = readLines(rowsPath);
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows[0][u"kind"_s].toString(), u"trigger"_s);
        QCOMPARE(rows[0][u"trigger"_s].toString(), u"orders"_s);
        QVERIFY(rows[0][u"durationMs"_s].isNull());
        QCOMPARE(rows[0][u"payload"_s].toObject(), QJsonObject());
    }

    void unwritablePathsFailAndCancelKeepsTheOldFile()
    {
        ActivationTableModel table;
        QList<ActivationRecord> records;
        for (int i = 0; i < 5000; ++i)
            records.append(action(i, 0, QJsonObject{{u"i"_s, i}}));
        table.append(records);
        table.flush();
        ActivationFilterModel filter(&table);
        const ActivationExportRows rows = ActivationExportRows::of(filter);
        QCOMPARE(rows.rows.size(), size_t(5000));

        const QString missing = m_dir.filePath(u"no/such/dir/out.jsonl"_s);
        ExportResult result = writeActivationsJsonLines(rows, missing);
        QVERIFY(!result.ok());
        QVERIFY2(result.error.contains(u"no/such/dir/out.jsonl"_s), qPrintable(result.error));
        QVERIFY(!QFile::exists(missing));

        // Cancelled at the first progress report: the file there before is left as it was.
        const QString path = m_dir.filePath(u"kept.jsonl"_s);
        {
            QFile old(path);
            QVERIFY(old.open(QIODevice::WriteOnly));
            old.write("old\n");
        }
        result = writeActivationsJsonLines(rows, path, [](qint64, qint64) { return false; });
        QVERIFY(result.cancelled);
        QCOMPARE(result.rows, qint64(ActivationExportJob::progressStep));
        QFile kept(path);
        QVERIFY(kept.open(QIODevice::ReadOnly));
        QCOMPARE(kept.readAll(), QByteArray("old\n"));
    }

    void jobWritesOnAWorkerThread()
    {
        ActivationTableModel table;
        QList<ActivationRecord> records;
        for (int i = 0; i < 5000; ++i)
            records.append(action(i, i % 2, QJsonObject{{u"i"_s, i}}));
        table.append(records);
        table.flush();
        ActivationFilterModel filter(&table);
        ActivationRowFilter f;
        f.statuses = ActivationRowFilter::bit(ActivationStatus::ApplicationError);
        filter.setFilter(f);

        ActivationExportJob job;
        QSignalSpy progress(&job, &ActivationExportJob::progress);
        QSignalSpy finished(&job, &ActivationExportJob::finished);
        const QString path = m_dir.filePath(u"errors.jsonl"_s);
        QVERIFY(job.start(ActivationExportRows::of(filter), path));
        QVERIFY(job.isRunning());
        QVERIFY(!job.start({}, path)); // one at a time
        QVERIFY(finished.wait(30000));
        const auto result = finished.first().first().value<ExportResult>();
        QVERIFY2(result.ok(), qPrintable(result.error));
        QCOMPARE(result.rows, 2500);
        QVERIFY(!job.isRunning());
        QVERIFY(!progress.isEmpty());
        QCOMPARE(progress.last().first().toLongLong(), 2500);
        const QList<QJsonObject> lines = readLines(path);
        QCOMPARE(lines.size(), 2500);
        for (const QJsonObject &line : lines)
            QCOMPARE(line[u"status"_s].toString(), u"application error"_s);

        // Destroying a running job cancels it and waits for its worker: no crash, no hang.
        const QString abandoned = m_dir.filePath(u"abandoned.jsonl"_s);
        {
            ActivationExportJob doomed;
            QVERIFY(doomed.start(ActivationExportRows::of(filter), abandoned));
        }
    }
};

QTEST_GUILESS_MAIN(TestActivationExport)
#include "tst_activationexport.moc"
