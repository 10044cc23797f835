// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "webhookcapture.h"

#include <QObject>
#include <QString>

namespace Feedscope {

// One batch of changes to the capture file, written in one transaction.
struct WebhookCaptureBatch
{
    QList<WebhookCapture> upserts;
    QList<qint64> removed;
    qint64 removeUpTo = 0; // every capture with an id up to this one goes (0: none)
    bool clearAll = false;

    bool isEmpty() const
    {
        return upserts.isEmpty() && removed.isEmpty() && removeUpTo == 0 && !clearAll;
    }
};

// The relay's capture history in a small SQLite file (QtSql, WAL). It lives on a worker thread
// and is driven by queued calls, so the GUI thread never waits for the disk (STYLE.md 28); the
// relay batches what changed and sends it every few hundred milliseconds, one transaction each.
// The file holds no key: captures are stored as the relay keeps them, secrets already replaced.
class WebhookCaptureStore : public QObject
{
    Q_OBJECT

public:
    explicit WebhookCaptureStore(QString path);
    ~WebhookCaptureStore() override;

    // On the worker thread: opens (creating the schema), then emits loaded() with every
    // capture, oldest first. Captures left pending by a stop are closed as interrupted.
    void open();
    void apply(const Feedscope::WebhookCaptureBatch &batch);
    // Closes the database; the store can then be destroyed on any thread.
    void close();

Q_SIGNALS:
    void loaded(const QList<Feedscope::WebhookCapture> &captures);
    void failed(const QString &message);

private:
    bool exec(const QString &statement);
    void report(const QString &what, const QString &error);

    QString m_path;
    QString m_connection;
    bool m_open = false;
};

} // namespace Feedscope
