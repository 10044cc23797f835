// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgettesting.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractSpinBox>
#include <QAccessible>
#include <QApplication>
#include <QComboBox>
#include <QDeadlineTimer>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTextEdit>
#include <QTimer>

namespace Feedscope::Testing {

bool waitUntil(const std::function<bool()> &condition, int deadlineMs)
{
    QDeadlineTimer deadline(deadlineMs);
    while (!deadline.hasExpired()) {
        if (condition())
            return true;
        QTest::qWait(20);
    }
    return condition();
}

void answerNextMessageBox(QMessageBox::StandardButton button)
{
    auto *timer = new QTimer(qApp);
    timer->setInterval(20);
    auto *attempts = new int(0);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, attempts, button] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (box && box->button(button)) {
            box->button(button)->click();
        } else if (++*attempts < 3000) {
            return;
        }
        delete attempts;
        timer->deleteLater();
        timer->stop();
    });
    timer->start();
}

std::unique_ptr<Session> openSession(EngineProcess &engine,
                                     HttpJournal *journal,
                                     const LifecycleJournalPtr &lifecycleJournal)
{
    auto session = std::make_unique<Session>(
        QStringLiteral("test"),
        WhiskEndpoint{engine.baseUrl(), QString::fromLatin1(guestKey), QStringLiteral("_")},
        journal,
        lifecycleJournal);
    bool refreshed = false;
    const auto connection = QObject::connect(session->loader(),
                                             &NamespaceLoader::refreshed,
                                             session.get(),
                                             [&refreshed] { refreshed = true; });
    session->activate();
    waitUntil([&] { return refreshed && session->tree()->ns() == u"guest"; });
    QObject::disconnect(connection); // `refreshed` lives on this stack only
    return session;
}

std::optional<OperationReport> reportOf(Operation *operation, int deadlineMs)
{
    auto report = std::make_shared<std::optional<OperationReport>>();
    QObject::connect(operation,
                     &Operation::finished,
                     operation,
                     [report](const OperationReport &r) { *report = r; });
    waitUntil([&] { return report->has_value(); }, deadlineMs);
    return *report;
}

QStringList unnamedControls(QWidget *root)
{
    QStringList unnamed;
    const auto widgets = root->findChildren<QWidget *>();
    for (QWidget *w : widgets) {
        if (!w->isVisibleTo(root) || w->focusPolicy() == Qt::NoFocus)
            continue;
        const bool control = qobject_cast<QAbstractButton *>(w) || qobject_cast<QLineEdit *>(w)
                             || qobject_cast<QComboBox *>(w) || qobject_cast<QAbstractSpinBox *>(w)
                             || qobject_cast<QPlainTextEdit *>(w) || qobject_cast<QTextEdit *>(w)
                             || qobject_cast<QAbstractItemView *>(w);
        if (!control)
            continue;
        // Parts of a composite control are named by it (an editable combo's line edit, a
        // spin box's editor, a tab bar's scroll buttons).
        QWidget *parent = w->parentWidget();
        if (qobject_cast<QComboBox *>(parent) || qobject_cast<QAbstractSpinBox *>(parent)
            || QByteArray(parent ? parent->metaObject()->className() : "") == "QTabBar"
            || QByteArray(w->metaObject()->className()) == "QCalendarView")
            continue;
        QAccessibleInterface *accessible = QAccessible::queryAccessibleInterface(w);
        const QString name = accessible ? accessible->text(QAccessible::Name) : QString();
        if (name.trimmed().isEmpty())
            unnamed.append(QStringLiteral("%1 (%2)").arg(
                w->objectName(), QString::fromLatin1(w->metaObject()->className())));
    }
    return unnamed;
}

} // namespace Feedscope::Testing
