// SPDX-License-Identifier: GPL-3.0-or-later
#include "confirm.h"

#include <QPointer>

namespace Feedscope::Ui {

void confirm(QWidget *parent,
             const QString &title,
             const QString &question,
             QMessageBox::StandardButton accept,
             std::function<void()> accepted)
{
    auto *box = new QMessageBox(
        QMessageBox::Question, title, question, accept | QMessageBox::Cancel, parent);
    box->setObjectName(QStringLiteral("confirmBox"));
    box->setDefaultButton(QMessageBox::Cancel);
    box->setEscapeButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    QPointer<QWidget> guard(parent);
    QObject::connect(box, &QMessageBox::finished, box, [box, accept, accepted, guard](int) {
        if (guard && box->clickedButton() == box->button(accept))
            accepted();
    });
    box->open();
}

} // namespace Feedscope::Ui
