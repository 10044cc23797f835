// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "orphanscan.h"

#include <QPointer>
#include <QWidget>

class QAction;
class QLabel;
class QProgressBar;
class QPushButton;
class QTreeWidget;

namespace Feedscope {
class Session;
struct OperationReport;
} // namespace Feedscope

namespace Feedscope::Ui {

class MessageBar;
class OperationView;

// Feed health: the orphan scan as a panel. Each finding shows its cause and a one-click fix —
// delete a provider's leftover entry, re-create a lost one, delete a dangling rule, retry owed
// work, unpause — run as a FeedLifecycle operation whose step report shows below; findings
// with no safe automatic fix open the lifecycle console or say what to do. The scan reports
// its progress and can be cancelled; its findings badge the explorer's tree.
class OrphansPanel : public QWidget
{
    Q_OBJECT

public:
    explicit OrphansPanel(QWidget *parent = nullptr);

    void setSession(Session *session);
    // Starts a scan of the session's namespace (nothing when one runs).
    void scan();
    bool isScanning() const { return m_scanner && m_scanner->isRunning(); }

    QAction *scanAction() const { return m_scanAction; }
    QAction *cancelAction() const { return m_cancelAction; }
    QTreeWidget *findingsView() const { return m_view; }
    MessageBar *summary() const { return m_summary; }
    QProgressBar *progressBar() const { return m_progress; }
    OperationView *operationView() const { return m_operation; }
    const QList<Finding> &findings() const { return m_findings; }
    // The fix button of the finding of `kind` about `entity` ("/guest/t"), or nullptr.
    QPushButton *fixButton(Finding::Kind kind, const QString &entity) const;

Q_SIGNALS:
    // A feed trigger ("t") whose fix needs parameters: the lifecycle console should open it.
    void consoleRequested(const QString &trigger);
    void statusMessage(const QString &text);

private:
    void showFindings();
    void fix(const Finding &finding);
    void runFix(const Finding &finding);
    void fixed(const Finding &finding, const OperationReport &report);
    void showDetail();
    void updateActions();
    QString relative(const QString &entity) const;

    QPointer<Session> m_session;
    QPointer<OrphanScan> m_scanner;
    QList<Finding> m_findings;
    QAction *m_scanAction;
    QAction *m_cancelAction;
    QProgressBar *m_progress;
    QLabel *m_step;
    MessageBar *m_summary;
    QTreeWidget *m_view;
    QLabel *m_detail;
    OperationView *m_operation;
};

} // namespace Feedscope::Ui
