@echo off
rem Tổng hợp báo cáo NTM: nháy đúp file này trên Windows.
rem Lần đầu tự tạo môi trường Python riêng (.venv) rồi tổng hợp các file trong input\.
chcp 65001 >nul
setlocal
cd /d "%~dp0"
set "PY=.venv\Scripts\python.exe"
set "STAMP=.venv\.installed-stamp"

if exist "%STAMP%" goto run
echo Lần đầu dùng: đang cài đặt (mất 1-2 phút, cần mạng)...
where py >nul 2>nul
if %errorlevel%==0 (
    py -3 -m venv .venv
) else (
    python -m venv .venv
)
if not exist "%PY%" (
    echo Lỗi: không tạo được môi trường Python. Cài Python 3.11 trở lên từ python.org
    echo ^(đánh dấu "Add python.exe to PATH"^) rồi nháy đúp lại file này.
    goto end
)
"%PY%" -m pip install --quiet --upgrade pip
"%PY%" -m pip install --quiet -c requirements.lock -e .
if errorlevel 1 (
    echo Lỗi: cài đặt thư viện không thành công. Kiểm tra kết nối mạng rồi nháy đúp lại file này.
    goto end
)
type nul > "%STAMP%"

:run
"%PY%" -m pipeline consolidate %*
if exist output\ start "" "output"

:end
echo.
pause
