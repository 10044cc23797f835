// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "webhookcapture.h"

#include <QAbstractTableModel>
#include <QPointer>
#include <QTimer>

namespace Feedscope {

class WebhookRelay;

// The relay's capture history for one trigger (or all) as a table for the webhook console,
// newest first (STYLE.md 5-10): new captures and outcomes are published in batches (one insert
// and one dataChanged per tick), drops of the oldest in one removal, text built on demand from
// the relay's captures, which rows refer to by id. Roles are semantic; widgets/ colours them.
class WebhookCaptureModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Time, Source, Method, ContentType, Size, Status, Activation, ColumnCount };
    enum Role {
        CaptureIdRole = Qt::UserRole + 1,
        OutcomeRole, // WebhookCapture::Outcome as int
    };

    explicit WebhookCaptureModel(WebhookRelay *relay, QObject *parent = nullptr);

    // Only the captures of `trigger` (all when empty).
    void setTrigger(const QString &trigger);
    QString trigger() const { return m_trigger; }
    // How long changes wait to be published together (default 50 ms).
    void setBatchInterval(int ms) { m_batch.setInterval(ms); }
    // Publishes pending changes now.
    void flush();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    const WebhookCapture *capture(int row) const;
    qint64 captureId(int row) const;
    int rowOf(qint64 id) const;

    // "202 · activation 1a2b…", "204 · no active rule", "413 · refused: ..." for one capture.
    static QString outcomeText(const WebhookCapture &capture);

private:
    bool wanted(qint64 id) const;
    void reload();
    void schedule();
    QString cell(const WebhookCapture &capture, int column) const;

    QPointer<WebhookRelay> m_relay;
    QString m_trigger;
    QTimer m_batch;
    QList<qint64> m_ids;     // published rows, oldest first (row 0 is the last one)
    QList<qint64> m_pending; // added, not yet published
    QList<qint64> m_changed; // published rows whose capture changed
    qint64 m_droppedUpTo = 0;
};

} // namespace Feedscope
