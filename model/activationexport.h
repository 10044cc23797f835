// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "activationrow.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

class QThread;

namespace Feedscope {

class ActivationFilterModel;
class ActivationTableModel;

// Monitor rows to export, copied out of the live table: compact rows plus the string pool they
// index (both implicitly shared or small, so taking 100k rows costs milliseconds), so the file
// can be written on a worker thread while the table keeps changing.
struct ActivationExportRows
{
    std::vector<ActivationRow> rows;
    StringPool strings;

    // The rows the filter shows, in its order.
    static ActivationExportRows of(const ActivationFilterModel &filter);
    // These rows of the table (invalid ones are skipped).
    static ActivationExportRows of(const ActivationTableModel &table, const QList<int> &rows);
};

// One exported line, newline included: a compact JSON object with activationId, kind, name,
// status, start (ISO 8601 UTC with ms), startMs (epoch ms), durationMs, waitMs, initMs (null when
// absent), cold, trigger and rule (null when unknown), synthetic, and payload: the row's excerpt
// of response.result, as JSON when the excerpt is complete JSON, else as the cut text (null when
// the row has none).
QByteArray activationJsonLine(const ActivationRow &row, const StringPool &strings);

struct ExportResult
{
    qint64 rows = 0; // lines written
    bool cancelled = false;
    QString error; // "Exporting to /x.jsonl failed: Permission denied"

    bool ok() const { return !cancelled && error.isEmpty(); }
};

// Called every progressStep rows with (written, total); returning false cancels the export.
using ExportProgress = std::function<bool(qint64 written, qint64 total)>;

// Writes the rows as JSON Lines (one compact object per line) through QSaveFile: the file is
// replaced whole or, on failure or cancel, left as it was. Reentrant: runs on any thread.
ExportResult writeActivationsJsonLines(const ActivationExportRows &rows,
                                       const QString &path,
                                       const ExportProgress &progress = {});

// writeActivationsJsonLines on a worker thread, for the GUI (STYLE.md 28): progress and the end
// come back as queued signals. Destroying the job cancels it and waits for the worker to stop.
class ActivationExportJob : public QObject
{
    Q_OBJECT

public:
    static constexpr int progressStep = 2000;

    explicit ActivationExportJob(QObject *parent = nullptr);
    ~ActivationExportJob() override;

    // False when a job is already running.
    bool start(ActivationExportRows rows, const QString &path);
    void cancel() { m_cancel->store(true); }
    bool isRunning() const { return m_thread != nullptr; }

Q_SIGNALS:
    void progress(qint64 written, qint64 total);
    void finished(const Feedscope::ExportResult &result);

private:
    QThread *m_thread = nullptr;
    std::shared_ptr<std::atomic_bool> m_cancel;
};

} // namespace Feedscope
