// SPDX-License-Identifier: GPL-3.0-or-later
#include "orphanspanel.h"

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
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Feedscope::Ui {

namespace {

enum Column { KindColumn, EntityColumn, CauseColumn, FixColumn };

QString kindTitle(Finding::Kind kind)
{
    switch (kind) {
    case Finding::Kind::FeedUnreadable: return QObject::tr("Feed entry lost");
    case Finding::Kind::FeedInactive: return QObject::tr("Feed disabled");
    case Finding::Kind::NoActiveRule: return QObject::tr("No active rule");
    case Finding::Kind::RuleActionMissing: return QObject::tr("Rule's action gone");
    case Finding::Kind::Tombstone: return QObject::tr("Feed work owed");
    case Finding::Kind::ScanIncomplete: return QObject::tr("Scan incomplete");
    case Finding::Kind::LeftoverFeed: return QObject::tr("Leftover feed entry");
    }
    return {};
}

bool sameFinding(const Finding &a, const Finding &b)
{
    return a.kind == b.kind && a.entity == b.entity;
}

// A feed trigger whose repair needs parameters only the user can give.
bool needsConsole(const Finding &f)
{
    return f.fix == Finding::Fix::None && !f.feed.isEmpty()
           && (f.kind == Finding::Kind::FeedUnreadable || f.kind == Finding::Kind::FeedInactive);
}

} // namespace

OrphansPanel::OrphansPanel(QWidget *parent)
    : QWidget(parent)
    , m_scanAction(new QAction(tr("Scan for &orphans"), this))
    , m_cancelAction(new QAction(tr("Cancel scan"), this))
    , m_progress(new QProgressBar(this))
    , m_step(new QLabel(this))
    , m_summary(new MessageBar(this))
    , m_view(new QTreeWidget(this))
    , m_detail(new QLabel(this))
    , m_operation(new OperationView(this))
{
    nameControl(this, QStringLiteral("orphansPanel"), tr("Orphans"));
    nameControl(m_progress, QStringLiteral("orphanScanProgress"), tr("Progress of the scan"));
    nameControl(m_summary, QStringLiteral("orphanScanSummary"), tr("Result of the scan"));
    nameControl(m_view, QStringLiteral("orphanFindings"), tr("Findings of the orphan scan"));
    nameControl(m_detail, QStringLiteral("orphanDetail"), tr("The selected finding"));
    m_step->setObjectName(QStringLiteral("orphanScanStep"));
    m_operation->report()->setObjectName(QStringLiteral("orphanFixReport"));
    m_operation->hide();

    m_scanAction->setObjectName(QStringLiteral("scanOrphansPanelAction"));
    m_scanAction->setStatusTip(tr("Look for provider entries of deleted triggers, feeds whose "
                                  "provider lost them, triggers with no active rule, rules whose "
                                  "action is gone and owed feed work"));
    m_scanAction->setToolTip(m_scanAction->statusTip());
    connect(m_scanAction, &QAction::triggered, this, &OrphansPanel::scan);
    m_cancelAction->setObjectName(QStringLiteral("cancelOrphanScanAction"));
    m_cancelAction->setStatusTip(tr("Stop the scan before its next check"));
    m_cancelAction->setToolTip(m_cancelAction->statusTip());
    connect(m_cancelAction, &QAction::triggered, this, [this] {
        if (m_scanner)
            m_scanner->cancel();
        m_cancelAction->setEnabled(false);
    });

    m_view->setColumnCount(4);
    m_view->setHeaderLabels({tr("Problem"), tr("Entity"), tr("Cause"), tr("Fix")});
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setWordWrap(false);
    m_view->header()->setStretchLastSection(false);
    m_view->header()->setSectionResizeMode(CauseColumn, QHeaderView::Stretch);
    m_view->setColumnWidth(KindColumn, 150);
    m_view->setColumnWidth(EntityColumn, 170);
    m_view->setColumnWidth(FixColumn, 210);
    connect(m_view, &QTreeWidget::currentItemChanged, this, &OrphansPanel::showDetail);
    m_detail->setWordWrap(true);
    m_detail->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_detail->setMinimumWidth(260);
    m_detail->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_progress->hide();

    auto *scanButton = new QToolButton(this);
    scanButton->setObjectName(QStringLiteral("scanOrphansButton"));
    scanButton->setDefaultAction(m_scanAction);
    auto *cancelButton = new QToolButton(this);
    cancelButton->setObjectName(QStringLiteral("cancelOrphanScanButton"));
    cancelButton->setDefaultAction(m_cancelAction);
    auto *bar = new QHBoxLayout;
    bar->addWidget(scanButton);
    bar->addWidget(cancelButton);
    bar->addWidget(m_progress, 1);
    bar->addWidget(m_step, 2);
    // The list takes the width; the selected finding and the last fix's report sit beside it.
    auto *side = new QWidget(this);
    auto *sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(0, 0, 0, 0);
    sideLayout->addWidget(m_detail);
    sideLayout->addWidget(m_operation, 1);
    sideLayout->addStretch(0);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->setObjectName(QStringLiteral("orphanSplitter"));
    split->addWidget(m_view);
    split->addWidget(side);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_summary);
    layout->addWidget(split, 1);
    setSession(nullptr);
}

void OrphansPanel::setSession(Session *session)
{
    if (m_session == session && session)
        return;
    m_session = session;
    if (m_scanner)
        m_scanner->cancel();
    m_findings.clear();
    showFindings();
    if (session)
        m_summary->show(Theme::Role::Muted, tr("Not scanned yet."));
    else
        m_summary->showWarning(tr("Not connected."));
    updateActions();
}

QString OrphansPanel::relative(const QString &entity) const
{
    const QString prefix = m_session ? u'/' + m_session->tree()->ns() + u'/' : QString();
    return !prefix.isEmpty() && entity.startsWith(prefix) ? entity.mid(prefix.size()) : entity;
}

void OrphansPanel::scan()
{
    if (!m_session || isScanning())
        return;
    if (m_scanner)
        m_scanner->deleteLater();
    m_scanner = new OrphanScan(m_session->client(), m_session->lifecycleJournal(), this);
    connect(
        m_scanner, &OrphanScan::progress, this, [this](int step, int count, const QString &text) {
            m_progress->setRange(0, count);
            m_progress->setValue(step);
            m_step->setText(tr("%1 of %2: %3").arg(step + 1).arg(count).arg(text));
        });
    m_progress->setRange(0, 0);
    m_progress->show();
    m_summary->show(Theme::Role::Pulse,
                    tr("Scanning %1 for orphans…").arg(m_session->tree()->ns()));
    QPointer<Session> session = m_session;
    m_scanner->run(this, [this, session](QList<Finding> findings) {
        m_progress->hide();
        m_step->clear();
        if (!session || session != m_session) {
            updateActions(); // the scan of an old session ended: Scan is possible again
            return;
        }
        m_findings = findings;
        session->tree()->setFindings(findings);
        showFindings();
        int problems = 0;
        for (const Finding &f : std::as_const(findings))
            problems += f.kind == Finding::Kind::ScanIncomplete ? 0 : 1;
        const QString text = problems == 0 ? tr("Orphan scan: nothing is broken.")
                                           : tr("Orphan scan: %n finding(s).", nullptr, problems);
        if (problems == 0 && findings.isEmpty())
            m_summary->showInfo(text);
        else
            m_summary->showWarning(text);
        Q_EMIT statusMessage(text);
        updateActions();
    });
    updateActions();
}

void OrphansPanel::showFindings()
{
    m_view->clear();
    for (const Finding &f : std::as_const(m_findings)) {
        auto *item = new QTreeWidgetItem(m_view);
        item->setText(KindColumn, kindTitle(f.kind));
        item->setText(EntityColumn, relative(f.entity));
        item->setText(CauseColumn, f.problem);
        const QString tip = f.problem + u'\n' + tr("Fix: %1").arg(f.proposedFix);
        for (int c = KindColumn; c <= CauseColumn; ++c)
            item->setToolTip(c, tip);
        const Theme::Role role
            = f.kind == Finding::Kind::NoActiveRule || f.kind == Finding::Kind::ScanIncomplete
                  ? Theme::Role::Warning
                  : Theme::Role::Error;
        item->setForeground(KindColumn, Theme::color(role, m_view));
        const QString label
            = needsConsole(f) ? tr("Open in lifecycle console…") : findingFixName(f.fix);
        if (label.isEmpty()) {
            item->setText(FixColumn, tr("(see the cause)"));
            item->setToolTip(FixColumn, f.proposedFix);
            continue;
        }
        auto *button = new QPushButton(label, m_view);
        nameControl(button,
                    QStringLiteral("fix-%1-%2").arg(findingKindName(f.kind), f.entity),
                    tr("%1 for %2").arg(label, relative(f.entity)));
        button->setToolTip(f.proposedFix);
        connect(button, &QPushButton::clicked, this, [this, f] { fix(f); });
        m_view->setItemWidget(item, FixColumn, button);
    }
    if (m_view->topLevelItemCount() > 0)
        m_view->setCurrentItem(m_view->topLevelItem(0));
    showDetail();
}

QPushButton *OrphansPanel::fixButton(Finding::Kind kind, const QString &entity) const
{
    for (int row = 0; row < m_findings.size() && row < m_view->topLevelItemCount(); ++row) {
        const Finding &f = m_findings.at(row);
        if (f.kind == kind && f.entity == entity)
            return qobject_cast<QPushButton *>(
                m_view->itemWidget(m_view->topLevelItem(row), FixColumn));
    }
    return nullptr;
}

void OrphansPanel::showDetail()
{
    const int row = m_view->indexOfTopLevelItem(m_view->currentItem());
    if (row < 0 || row >= m_findings.size()) {
        m_detail->clear();
        m_detail->hide();
        return;
    }
    const Finding &f = m_findings.at(row);
    m_detail->setText(f.problem + u'\n' + tr("Fix: %1").arg(f.proposedFix));
    m_detail->show();
}

void OrphansPanel::fix(const Finding &finding)
{
    if (!m_session)
        return;
    if (needsConsole(finding)) {
        Q_EMIT consoleRequested(relative(finding.entity));
        return;
    }
    if (finding.fix == Finding::Fix::DeleteRule) {
        // Deleting is destructive even when the rule runs nothing (STYLE.md 16).
        confirm(this,
                tr("Delete rule"),
                tr("Delete rule %1? Its action is gone, so it runs nothing.")
                    .arg(relative(finding.entity)),
                QMessageBox::Yes,
                [this, finding] { runFix(finding); });
        return;
    }
    runFix(finding);
}

void OrphansPanel::runFix(const Finding &finding)
{
    if (!m_session)
        return;
    Operation *op = OrphanScan::fix(*m_session->lifecycle(), finding);
    if (!op)
        return;
    if (QPushButton *button = fixButton(finding.kind, finding.entity))
        button->setEnabled(false);
    m_operation->track(op->report().title, op);
    connect(op, &Operation::finished, this, [this, finding](const OperationReport &report) {
        fixed(finding, report);
    });
}

void OrphansPanel::fixed(const Finding &finding, const OperationReport &report)
{
    Q_EMIT statusMessage(report.summary());
    if (!report.ok) {
        if (QPushButton *button = fixButton(finding.kind, finding.entity))
            button->setEnabled(true);
        return;
    }
    m_findings.removeIf([&](const Finding &f) { return sameFinding(f, finding); });
    if (m_session)
        m_session->tree()->setFindings(m_findings);
    showFindings();
}

void OrphansPanel::updateActions()
{
    const bool scanning = isScanning();
    m_scanAction->setEnabled(m_session && !scanning);
    m_cancelAction->setEnabled(scanning);
}

} // namespace Feedscope::Ui
