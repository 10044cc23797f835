// SPDX-License-Identifier: GPL-3.0-or-later
#include "activationexport.h"

#include "activationfiltermodel.h"
#include "activationtablemodel.h"

#include <QDateTime>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QThread>

namespace Feedscope {

ActivationExportRows ActivationExportRows::of(const ActivationFilterModel &filter)
{
    ActivationExportRows out;
    const auto *table = qobject_cast<const ActivationTableModel *>(filter.sourceModel());
    if (!table)
        return out;
    const int n = filter.rowCount();
    out.rows.reserve(size_t(n));
    for (int r = 0; r < n; ++r) {
        const int source = filter.mapToSource(filter.index(r, 0)).row();
        if (source >= 0)
            out.rows.push_back(table->rowAt(source));
    }
    out.strings = table->strings();
    return out;
}

ActivationExportRows ActivationExportRows::of(const ActivationTableModel &table,
                                              const QList<int> &rows)
{
    ActivationExportRows out;
    out.rows.reserve(size_t(rows.size()));
    for (const int r : rows) {
        if (r >= 0 && r < table.rowCount())
            out.rows.push_back(table.rowAt(r));
    }
    out.strings = table.strings();
    return out;
}

QJsonObject activationJson(const ActivationRow &row, const StringPool &strings)
{
    const auto ms = [](qint32 v) { return v < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(v); };
    const auto text = [&strings](quint32 pooled) {
        return pooled ? QJsonValue(strings.at(pooled)) : QJsonValue(QJsonValue::Null);
    };
    QJsonObject o;
    o.insert(QStringLiteral("activationId"), row.idString(strings));
    o.insert(QStringLiteral("kind"), kindText(row.kind));
    o.insert(QStringLiteral("name"), strings.at(row.name));
    o.insert(QStringLiteral("status"), statusText(row.status));
    o.insert(QStringLiteral("start"),
             QDateTime::fromMSecsSinceEpoch(row.start, Qt::UTC).toString(Qt::ISODateWithMs));
    o.insert(QStringLiteral("startMs"), row.start);
    o.insert(QStringLiteral("durationMs"), ms(row.durationMs));
    o.insert(QStringLiteral("waitMs"), ms(row.waitMs));
    o.insert(QStringLiteral("initMs"), ms(row.initMs));
    o.insert(QStringLiteral("cold"), row.cold());
    o.insert(QStringLiteral("trigger"), text(row.trigger));
    o.insert(QStringLiteral("rule"), text(row.rule));
    o.insert(QStringLiteral("synthetic"), row.synthetic);
    QJsonValue payload(QJsonValue::Null);
    if (!row.payload.isEmpty()) {
        // The excerpt is cut at ActivationRow::payloadLimit bytes: a short payload is whole JSON,
        // a long one is kept as the text it was cut to.
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(row.payload, &error);
        if (error.error == QJsonParseError::NoError)
            payload = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
        else
            payload = QString::fromUtf8(row.payload);
    }
    o.insert(QStringLiteral("payload"), payload);
    return o;
}

ExportResult writeActivationsJsonLines(const ActivationExportRows &rows,
                                       const QString &path,
                                       const ExportProgress &progress)
{
    ExportResult result;
    const auto fail = [&](const QString &why) {
        result.error = QStringLiteral("Exporting %1 activations to %2 failed: %3")
                           .arg(rows.rows.size())
                           .arg(QFileInfo(path).absoluteFilePath(), why);
        return result;
    };
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(file.errorString());
    const auto total = qint64(rows.rows.size());
    for (const ActivationRow &row : rows.rows) {
        QByteArray line = QJsonDocument(activationJson(row, rows.strings))
                              .toJson(QJsonDocument::Compact);
        line.append('\n');
        if (file.write(line) != line.size())
            return fail(file.errorString()); // QSaveFile discards the temporary file
        ++result.rows;
        if (progress && result.rows % ActivationExportJob::progressStep == 0
            && !progress(result.rows, total)) {
            file.cancelWriting();
            result.cancelled = true;
            return result;
        }
    }
    if (!file.commit())
        return fail(file.errorString());
    if (progress)
        progress(result.rows, total);
    return result;
}

ActivationExportJob::ActivationExportJob(QObject *parent)
    : QObject(parent)
    , m_cancel(std::make_shared<std::atomic_bool>(false))
{}

ActivationExportJob::~ActivationExportJob()
{
    if (m_thread) {
        m_cancel->store(true);
        // Cancelled, the worker stops within progressStep rows (a few milliseconds).
        m_thread->wait();
        delete m_thread;
    }
}

bool ActivationExportJob::start(ActivationExportRows rows, const QString &path)
{
    if (m_thread)
        return false;
    m_cancel = std::make_shared<std::atomic_bool>(false);
    auto result = std::make_shared<ExportResult>();
    auto cancel = m_cancel;
    // The worker posts to `this`, which outlives it: the destructor waits for it.
    m_thread = QThread::create([this, rows = std::move(rows), path, cancel, result] {
        *result = writeActivationsJsonLines(rows, path, [this, cancel](qint64 written, qint64 total) {
            if (cancel->load())
                return false;
            QMetaObject::invokeMethod(
                this, [this, written, total] { Q_EMIT progress(written, total); },
                Qt::QueuedConnection);
            return true;
        });
    });
    connect(m_thread, &QThread::finished, this, [this, result] {
        m_thread->deleteLater();
        m_thread = nullptr;
        Q_EMIT finished(*result);
    });
    m_thread->start();
    return true;
}

} // namespace Feedscope
