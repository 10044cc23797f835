// SPDX-License-Identifier: GPL-3.0-or-later
#include "tombstonespanel.h"

#include "common/accessible.h"
#include "common/confirm.h"
#include "common/messagebar.h"
#include "common/operationview.h"
#include "common/reportview.h"
#include "feedlifecycle.h"
#include "session.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLocale>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Feedscope::Ui {

namespace {

// The error last: it is the longest, and the column that stretches.
enum Column {
    TriggerColumn,
    FeedColumn,
    WorkColumn,
    AttemptsColumn,
    SinceColumn,
    LastAttemptColumn,
    ErrorColumn
};

QString workText(Tombstone::Work work)
{
    switch (work) {
    case Tombstone::Work::DeleteFeed: return QObject::tr("feed DELETE");
    case Tombstone::Work::DeleteFeedAndTrigger:
        return QObject::tr("feed DELETE, then the trigger (interrupted)");
    case Tombstone::Work::RecreateFeed:
        return QObject::tr("feed CREATE (an update was interrupted)");
    }
    return {};
}

QString timeText(const QDateTime &time)
{
    return time.isValid() ? QLocale().toString(time.toLocalTime(), QLocale::ShortFormat)
                          : QString();
}

} // namespace

TombstonesPanel::TombstonesPanel(QWidget *parent)
    : QWidget(parent)
    , m_view(new QTreeWidget(this))
    , m_summary(new MessageBar(this))
    , m_operation(new OperationView(this))
    , m_retry(new QAction(tr("&Retry"), this))
    , m_retryAll(new QAction(tr("Retry &all"), this))
    , m_forget(new QAction(tr("&Forget…"), this))
{
    nameControl(this, QStringLiteral("tombstonesPanel"), tr("Tombstones"));
    nameControl(m_view, QStringLiteral("tombstoneList"), tr("Feed work still owed"));
    nameControl(m_summary, QStringLiteral("tombstoneSummary"), tr("Owed feed work"));
    m_operation->report()->setObjectName(QStringLiteral("tombstoneRetryReport"));
    m_operation->setMaximumHeight(170);
    m_operation->hide();

    m_retry->setObjectName(QStringLiteral("retryTombstoneAction"));
    m_retry->setStatusTip(tr("Send the selected owed feed work again"));
    m_retry->setToolTip(m_retry->statusTip());
    connect(m_retry, &QAction::triggered, this, [this] { retry(selectedIds()); });
    m_retryAll->setObjectName(QStringLiteral("retryAllTombstonesAction"));
    m_retryAll->setStatusTip(tr("Send every owed feed work of this API again"));
    m_retryAll->setToolTip(m_retryAll->statusTip());
    connect(m_retryAll, &QAction::triggered, this, [this] { retry(); });
    m_forget->setObjectName(QStringLiteral("forgetTombstoneAction"));
    m_forget->setStatusTip(tr("Drop the selected tombstone for good (when the provider is gone)"));
    m_forget->setToolTip(m_forget->statusTip());
    connect(m_forget, &QAction::triggered, this, &TombstonesPanel::forgetSelected);

    m_view->setColumnCount(7);
    m_view->setHeaderLabels({tr("Trigger"),
                             tr("Feed"),
                             tr("Owed"),
                             tr("Attempts"),
                             tr("Since"),
                             tr("Last attempt"),
                             tr("Last error")});
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setColumnWidth(TriggerColumn, 150);
    m_view->setColumnWidth(FeedColumn, 200);
    m_view->setColumnWidth(WorkColumn, 120);
    m_view->setColumnWidth(AttemptsColumn, 70);
    m_view->setColumnWidth(SinceColumn, 140);
    m_view->setColumnWidth(LastAttemptColumn, 140);
    m_view->addActions({m_retry, m_forget});
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    connect(m_view, &QTreeWidget::itemSelectionChanged, this, &TombstonesPanel::updateActions);

    auto *bar = new QHBoxLayout;
    for (QAction *action : {m_retry, m_retryAll, m_forget}) {
        auto *button = new QToolButton(this);
        button->setObjectName(action->objectName() + QStringLiteral("Button"));
        button->setDefaultAction(action);
        bar->addWidget(button);
    }
    bar->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_summary);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_operation);
    setSession(nullptr);
}

void TombstonesPanel::setSession(Session *session)
{
    if (m_session == session && session)
        return;
    disconnect(m_journalConnection);
    m_session = session;
    if (session && session->lifecycleJournal())
        m_journalConnection = connect(session->lifecycleJournal().get(),
                                      &LifecycleJournal::changed,
                                      this,
                                      &TombstonesPanel::refresh);
    refresh();
}

void TombstonesPanel::refresh()
{
    const QStringList selected = selectedIds();
    m_view->clear();
    if (!m_session || !m_session->lifecycleJournal()) {
        m_summary->showWarning(tr("Not connected."));
        updateActions();
        return;
    }
    const WhiskEndpoint &endpoint = m_session->endpoint();
    const QList<Tombstone> tombstones
        = m_session->lifecycleJournal()->tombstones(endpoint.apiHost, endpoint.ns);
    for (const Tombstone &t : tombstones) {
        auto *item = new QTreeWidgetItem(m_view);
        item->setData(TriggerColumn, Qt::UserRole, t.id);
        item->setText(TriggerColumn, t.trigger);
        item->setText(FeedColumn, t.feed);
        item->setText(WorkColumn, workText(t.work));
        item->setText(AttemptsColumn, QString::number(t.attempts));
        item->setText(ErrorColumn, t.lastError.isEmpty() ? tr("(not tried yet)") : t.lastError);
        item->setText(SinceColumn, timeText(t.created));
        item->setText(LastAttemptColumn, timeText(t.lastAttempt));
        for (int c = TriggerColumn; c <= ErrorColumn; ++c)
            item->setToolTip(c, t.describe());
        item->setSelected(selected.contains(t.id));
    }
    if (tombstones.isEmpty())
        m_summary->showInfo(tr("Nothing is owed: every feed DELETE reached its provider."));
    else
        m_summary->showWarning(tr("%n feed call(s) still owed to providers. Retry once the feed "
                                  "works again; Feedscope also retries when it connects.",
                                  nullptr,
                                  int(tombstones.size())));
    updateActions();
}

int TombstonesPanel::rowOf(const QString &trigger) const
{
    for (int row = 0; row < m_view->topLevelItemCount(); ++row) {
        if (m_view->topLevelItem(row)->text(TriggerColumn) == trigger)
            return row;
    }
    return -1;
}

QStringList TombstonesPanel::selectedIds() const
{
    QStringList ids;
    for (const QTreeWidgetItem *item : m_view->selectedItems())
        ids.append(item->data(TriggerColumn, Qt::UserRole).toString());
    return ids;
}

void TombstonesPanel::retry(const QStringList &ids)
{
    if (!m_session || m_retrying)
        return;
    Operation *op = m_session->lifecycle()->retryOwed(ids);
    m_retrying = true;
    updateActions();
    m_operation->track(op->report().title, op);
    connect(op, &Operation::finished, this, [this](const OperationReport &report) {
        m_retrying = false;
        updateActions();
        Q_EMIT statusMessage(report.summary());
    });
}

void TombstonesPanel::forgetSelected()
{
    const QStringList ids = selectedIds();
    if (!m_session || ids.isEmpty())
        return;
    const LifecycleJournalPtr journal = m_session->lifecycleJournal();
    confirm(this,
            tr("Forget owed feed work"),
            tr("Forget %n tombstone(s)? Feedscope stops retrying, and if the provider still holds "
               "the entry it keeps firing into nothing.",
               nullptr,
               int(ids.size())),
            QMessageBox::Discard,
            [journal, ids] {
                for (const QString &id : ids)
                    journal->removeTombstone(id);
            });
}

void TombstonesPanel::updateActions()
{
    const bool any = m_view->topLevelItemCount() > 0;
    const bool selected = !m_view->selectedItems().isEmpty();
    m_retry->setEnabled(m_session && !m_retrying && selected);
    m_retryAll->setEnabled(m_session && !m_retrying && any);
    m_forget->setEnabled(m_session && !m_retrying && selected);
}

} // namespace Feedscope::Ui
